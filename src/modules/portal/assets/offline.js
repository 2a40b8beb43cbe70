// offline: filled in below
