"""La démonstration : un 2022 et un 2023 vraisemblables, puis de 2024 à aujourd'hui (donnees/), écrits à travers
les services des applications ; la commande `donnees_demo`. Aucune application ne l'importe."""
