"""The web app: FastAPI server, REST API, the Gradio page and its rendering, uploads and request limits."""
