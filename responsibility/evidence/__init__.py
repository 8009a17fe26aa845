"""Evidence packages for one agreement or a campaign, and the seal that signs audit artefacts."""
