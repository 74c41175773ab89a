"""checkout_app: a self-checkout kiosk that recognises products on the counter and lets a
registered shopper pay with their face."""

__version__ = "0.1.0"
