from django.dispatch import Signal

# Sent with `user` and `request` when a user confirms a new authenticator (end of signup or invitation).
device_enrolled = Signal()
