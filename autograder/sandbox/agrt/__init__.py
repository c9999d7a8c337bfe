"""The sandbox runtime: the only kit code that runs beside student code.

It is self-contained (stdlib, numpy, torch) so that the sandbox can mount this folder alone and
nothing else of the kit: not the reference solutions, not the hidden tests, not the results.
Nothing here is trusted by the grader: whatever it sends back is validated as plain data.
"""
