"""National industry evaluations: credit rating and service-capability stars."""
