"""Oracles: contract-exact stand-ins for a student's other course modules (self-contained, one file each)."""
