"""Accounts: who a user is (roles derived from posts) and what they may see or do."""
