"""Les données personnelles : la purge quotidienne (purge.py, purge_journal.py), le regroupement des
enregistrements à k personnes au moins (anonymat.py) et la page « Données personnelles »."""
