-- 005: what every new co-op starts with, editable afterwards: the four
-- member classes of a multi-stakeholder care co-op and common care skills.

INSERT OR IGNORE INTO member_classes (code, name, position) VALUES
  ('worker', 'Carer-worker members', 0),
  ('recipient', 'People receiving care and their representatives', 1),
  ('supporter', 'Supporter members', 2),
  ('investor', 'Community investors', 3);

INSERT OR IGNORE INTO skills (code, name) VALUES
  ('meds', 'Medication support'),
  ('hoist', 'Hoist and moving'),
  ('dementia', 'Dementia care'),
  ('driving', 'Driving');
