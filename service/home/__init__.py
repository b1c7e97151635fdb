"""The home page: who is signed in, and what is waiting for them."""
