"""Build the monthly rollups: AWC rows from each app's figures, then every level above by summing."""
