"""Use cases shared by the command line and the app: agenda, actions, setup."""
