// placeholder: written by the agenda work
