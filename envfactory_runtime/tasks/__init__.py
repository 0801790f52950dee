"""Tasks: blueprints and their acceptance (policies, committee), phrasing, recombination, rollouts with agents and a simulated user, metrics, QA and quality."""
