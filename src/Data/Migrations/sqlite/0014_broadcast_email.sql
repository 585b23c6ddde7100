-- E-mail broadcasts (issue 13): a template's channel may be 'email', with a subject per language
-- (placeholders as in the body). SMS templates leave them empty.
ALTER TABLE broadcast_templates ADD COLUMN subject_zh TEXT NULL;
ALTER TABLE broadcast_templates ADD COLUMN subject_en TEXT NULL;
