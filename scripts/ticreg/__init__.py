"""ticreg: the tooling behind the Jincheng technology innovation center registry."""
