"""The few errors the assistant raises; the edges (CLI, app, API) turn them into messages."""


class AssistantError(Exception):
    """Base class for assistant errors."""


class ConfigError(AssistantError):
    """A setting or a prompt file is wrong; the message names what to fix."""


class BackendUnavailable(AssistantError):
    """The answer backend cannot be used: a missing package, model file or server."""


class InvalidInput(AssistantError):
    """A request that cannot be served as it is (bad upload, bad filter); the message says why."""


class InvalidQuestion(InvalidInput):
    """A question that cannot be asked as it is (empty, too long); the message says why."""
