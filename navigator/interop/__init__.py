"""Reading and writing other directories' data standards (Open Referral UK)."""
