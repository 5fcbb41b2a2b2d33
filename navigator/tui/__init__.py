"""The Textual front ends: resident app, kiosk, advocate and the managers' dashboard."""
