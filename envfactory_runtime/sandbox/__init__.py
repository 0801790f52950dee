"""The stateful sandbox: engine, task state, validation, fake data, the Connexion app, admin API and server."""
