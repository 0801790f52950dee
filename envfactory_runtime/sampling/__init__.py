"""Sampling: the session resolver, the trajectory sampler and its exploration, request building, the local and Ray engines, datasets and exports."""
