"""notify's domain: which event makes which mail to whom, a delivery's way to `sent`, what an
account may choose; plain Python, no I/O."""
