package beheer

// Ready-made forms for the work a functional admin of AFAS Profit gets
// most: an admin starts from one in the designer instead of an empty form,
// and the demo organisation uses them.

// FormTemplate is a ready-made form; Process names the process it suits
// (as the demo calls it), "" for every process of its type.
type FormTemplate struct {
	Key     string `json:"key"`
	Process string `json:"process,omitempty"`
	Form    Form   `json:"form"`
}

func tx(nl, en string) Texts { return Texts{NL: nl, EN: en} }

func choices(pairs ...string) []Choice {
	out := make([]Choice, 0, len(pairs)/3)
	for i := 0; i+2 < len(pairs); i += 3 {
		out = append(out, Choice{Value: pairs[i], Label: tx(pairs[i+1], pairs[i+2])})
	}
	return out
}

// environments are Profit's environments.
var environments = choices("productie", "Productieomgeving", "Production", "test", "Testomgeving", "Test",
	"acceptatie", "Acceptatieomgeving", "Acceptance")

// FormTemplates returns the ready-made forms, each time a fresh copy.
func FormTemplates() []FormTemplate {
	return []FormTemplate{
		{Key: "authorisation", Form: Form{Type: TypeAccess, Name: tx("Autorisatie-aanvraag", "Authorisation request"), Fields: []FormField{
			{Name: "voor_wie", Kind: FieldPerson, Label: tx("Voor wie", "For whom"), Required: true,
				Help: tx("De medewerker die de rechten krijgt.", "The employee who gets the rights.")},
			{Name: "autorisatiegroep", Kind: FieldChoice, Label: tx("Rol of autorisatiegroep", "Role or authorisation group"), Required: true,
				Choices: choices("medewerker", "Medewerker (ESS)", "Employee (ESS)", "leidinggevende", "Leidinggevende (MSS)", "Manager (MSS)",
					"hr_adviseur", "HR-adviseur", "HR adviser", "salarisadministratie", "Salarisadministratie", "Payroll",
					"financieel", "Financiële administratie", "Finance", "functioneel_beheer", "Functioneel beheer", "Functional management")},
			{Name: "omgeving", Kind: FieldChoice, Label: tx("Omgeving", "Environment"), Required: true, Default: "productie", Choices: environments},
			{Name: "vanaf", Kind: FieldDate, Label: tx("Vanaf", "From"), Required: true},
			{Name: "tijdelijk", Kind: FieldYesNo, Label: tx("Tijdelijk", "Temporary"), Default: "false",
				Help: tx("Kies ja als de rechten op een vaste datum weer vervallen.", "Choose yes when the rights end on a set date.")},
			{Name: "tot_en_met", Kind: FieldDate, Label: tx("Tot en met", "Until"), Required: true,
				ShowIf: &Condition{Field: "tijdelijk", Value: "true"}},
			{Name: "toelichting", Kind: FieldLongText, Label: tx("Waarom zijn deze rechten nodig?", "Why are these rights needed?")},
		}}},
		{Key: "new_employee", Process: "Toegang nieuwe medewerker", Form: Form{Type: TypeAccess,
			Name: tx("Nieuwe medewerker in Profit", "New employee in Profit"), Fields: []FormField{
				{Name: "naam", Kind: FieldText, Label: tx("Naam van de medewerker", "Employee's name"), Required: true},
				{Name: "personeelsnummer", Kind: FieldText, Label: tx("Personeelsnummer", "Employee number")},
				{Name: "startdatum", Kind: FieldDate, Label: tx("Eerste werkdag", "First working day"), Required: true},
				{Name: "functie", Kind: FieldText, Label: tx("Functie", "Position"), Required: true},
				{Name: "afdeling", Kind: FieldPlace, Label: tx("Aandachtsgebied van de afdeling", "Area of the department")},
				{Name: "leidinggevende", Kind: FieldPerson, Label: tx("Leidinggevende", "Manager"), Required: true},
				{Name: "uren_per_week", Kind: FieldNumber, Label: tx("Uren per week", "Hours per week"), Min: num(1), Max: num(40)},
				{Name: "insite", Kind: FieldYesNo, Label: tx("Toegang tot InSite", "Access to InSite"), Default: "true"},
			}}},
		{Key: "report_change", Form: Form{Type: TypeChange, Name: tx("Wijziging van een rapportage", "Report change"), Fields: []FormField{
			{Name: "rapportage", Kind: FieldText, Label: tx("Naam van de rapportage", "Name of the report"), Required: true},
			{Name: "soort", Kind: FieldChoice, Label: tx("Soort rapportage", "Kind of report"), Required: true,
				Choices: choices("word", "Word-rapport", "Word report", "excel", "Excel/Analyse", "Excel/analysis",
					"generator", "Rapportgenerator", "Report generator")},
			{Name: "wijziging", Kind: FieldLongText, Label: tx("Wat moet er anders?", "What should change?"), Required: true},
			{Name: "voorbeeld", Kind: FieldAttachment, Label: tx("Voorbeeld (bijlage)", "Example (attachment)"),
				Help: tx("Voeg het voorbeeld ook toe als bijlage en vul hier de bestandsnaam in.", "Also attach the example and enter its file name here.")},
			{Name: "gewenst_per", Kind: FieldDate, Label: tx("Gewenst per", "Wanted by")},
		}}},
		{Key: "workflow_change", Process: "Workflows/Formulieren", Form: Form{Type: TypeChange,
			Name: tx("Wijziging van een workflow", "Workflow change"), Fields: []FormField{
				{Name: "workflow", Kind: FieldText, Label: tx("Naam van de workflow", "Name of the workflow"), Required: true},
				{Name: "stappen", Kind: FieldMulti, Label: tx("Wat verandert er?", "What changes?"), Required: true,
					Choices: choices("stap", "Een taak of stap", "A task or step", "route", "De route of beoordelaars", "The route or reviewers",
						"signaal", "Een signaal of e-mail", "A signal or e-mail", "voorwaarde", "Een voorwaarde", "A condition")},
				{Name: "omgeving", Kind: FieldChoice, Label: tx("Eerst testen in", "Test first in"), Default: "test", Choices: environments},
				{Name: "beschrijving", Kind: FieldLongText, Label: tx("Beschrijving van de wijziging", "Description of the change"), Required: true},
			}}},
		{Key: "insite_page", Process: "InSite", Form: Form{Type: TypeChange,
			Name: tx("Wijziging van een InSite-pagina", "InSite page change"), Fields: []FormField{
				{Name: "pagina", Kind: FieldText, Label: tx("Pagina of adres", "Page or address"), Required: true},
				{Name: "soort", Kind: FieldChoice, Label: tx("Soort wijziging", "Kind of change"), Required: true,
					Choices: choices("tekst", "Tekst aanpassen", "Change text", "nieuw", "Nieuwe pagina", "New page",
						"verwijderen", "Pagina verwijderen", "Remove page", "rechten", "Wie de pagina ziet", "Who sees the page")},
				{Name: "tekst", Kind: FieldLongText, Label: tx("Nieuwe tekst", "New text"), Required: true,
					ShowIf: &Condition{Field: "soort", Value: "tekst"}},
				{Name: "publiceren_per", Kind: FieldDate, Label: tx("Publiceren per", "Publish by")},
			}}},
	}
}

func num(f float64) *float64 { return &f }
