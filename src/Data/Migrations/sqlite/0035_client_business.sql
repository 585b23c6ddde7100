-- Issue 18: a hotline may serve two businesses, each graded by its own scheme (securities cards,
-- futures grades; Tiers:Businesses). Each client belongs to one: the business whose scheme their
-- tier is read, imported and reviewed in. NULL is the default business (Tiers:Scheme), so every
-- directory entry from before keeps its meaning.
ALTER TABLE clients ADD COLUMN business TEXT NULL;
