"""Concurrent clients against the API and the chat page (`make load`)."""
