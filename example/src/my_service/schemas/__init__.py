"""Request and response bodies of the API, apart from the routes that use them."""
