"""The national industry evaluations (social-credit rating and service-capability stars):
``models/`` by concern, ``services/`` by step of the one state machine, ``programmes/`` for
what each programme does differently, and the institution's and office's pages. Apps above
(experts) add readers and panels through ``evaluation.readers`` and ``evaluation.panels``."""
