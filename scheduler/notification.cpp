// placeholder: written by the scheduler work
