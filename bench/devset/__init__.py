"""The development set: questions about stories nobody tuned the assistant for."""
