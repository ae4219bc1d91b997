"""`make bench` (bench.py) and `make load` (load.py), and the modules each is made of."""
