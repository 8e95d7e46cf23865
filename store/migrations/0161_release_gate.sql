-- The release gate: a side signed off despite failed or blocked items or
-- untriaged findings records the exception, its motivation and what it
-- covered. A release is tested in a test window of the annual plan.
ALTER TABLE release_signoffs ADD COLUMN exception TEXT NOT NULL DEFAULT '';
ALTER TABLE release_signoffs ADD COLUMN failed_items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE release_signoffs ADD COLUMN blocked_items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE release_signoffs ADD COLUMN untriaged_findings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE releases ADD COLUMN activity_id BIGINT REFERENCES plan_activities (id);
CREATE INDEX releases_activity ON releases (activity_id);

-- The default checklist, after the seed's functional and technical test of
-- an update on AFAS Accept: for every organisation whose checklist is
-- still empty. It is the organisation's own to change afterwards.
INSERT INTO release_check_templates (kind, title, created_at)
SELECT column2, column3, 0 FROM (VALUES
	(1, 'functional', 'Processen: de belangrijkste processen van begin tot eind doorlopen (verlof, declaraties, werving & selectie)'),
	(2, 'functional', 'Rapportages: vaste rapporten en analyses openen en de uitkomsten controleren'),
	(3, 'functional', 'Workflows: taken komen bij de juiste persoon terecht en zijn af te handelen'),
	(4, 'functional', 'InSite en OutSite: portalen, menu''s en formulieren werken'),
	(5, 'functional', 'Autorisaties: rollen en rechten kloppen (steekproef per rol)'),
	(6, 'technical', 'Connectoren: GetConnectoren en UpdateConnectoren geven de juiste gegevens'),
	(7, 'technical', 'Single sign-on: inloggen via de identity provider werkt'),
	(8, 'technical', 'E-mail: berichten vanuit AFAS Online worden verstuurd en ontvangen'),
	(9, 'technical', 'PCC (Profit Communication Center): de koppeling met MS Office werkt'),
	(10, 'technical', 'Integraties: koppelingen met andere systemen draaien zonder fouten')
) AS v
WHERE NOT EXISTS (SELECT 1 FROM release_check_templates)
ORDER BY column1;
