"""Modal dialogs: the forms behind each action, the jump finder, the text editor."""
