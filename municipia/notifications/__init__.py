"""Notifications: the in-app notification centre and every e-mail municipia sends.

`services.notify` is the one entry point: it stores the notification, rendered
in the recipient's language, and queues its e-mail as a background task.
"""
