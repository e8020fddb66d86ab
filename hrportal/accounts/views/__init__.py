"""The account views, one module per concept; `hrportal.accounts.urls` routes to them."""
