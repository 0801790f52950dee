"""The `python -m <package>` commands: serve, sample, tools (`main`), blueprints, rollout, evaluate, qa (`task_commands`), mcp, export-hf (`agent_commands`)."""
