"""Screens the shopper sees: welcome, scanning with the cart, pay with face, complete, failure."""
