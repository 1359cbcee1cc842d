"""The few errors the assistant raises; the edges (CLI, app, API) turn them into messages."""


class AssistantError(Exception):
    """Base class for assistant errors."""


class ConfigError(AssistantError):
    """A setting or a prompt file is wrong; the message names what to fix."""


class BackendUnavailable(AssistantError):
    """The answer backend cannot be used: a missing package, model file or server."""


class InvalidQuestion(AssistantError):
    """A question that cannot be asked as it is (empty, too long); the message says why."""
