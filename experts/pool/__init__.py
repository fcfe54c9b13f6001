"""The expert pool (评价专家库, 004 §9-13): who the experts are, their applications and appointment
terms with letters (聘书), training, declared conflicts of interest, and the credit programme's
evaluators who score the evaluations assigned to them."""
