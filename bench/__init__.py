"""The benchmark of the public pages (`make bench`): a data generator and a runner."""
