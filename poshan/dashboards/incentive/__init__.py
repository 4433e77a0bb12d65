"""The worker's monthly performance and her performance-linked incentive, from her records (never typed in)."""
