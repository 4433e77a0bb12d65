"""Additional charge: a neighbouring worker (or a supervisor, for a vacant sector) works a centre as her own for
a period the CDPO grants. The grant is a guardian object permission on the place, read by the one scoping selector
(anganwadi.selectors) together with the grant's dates, so every page, API and export honours it."""
