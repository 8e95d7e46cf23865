package beheer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// news and article are inputs of one kind with a title, changed by opts.
func news(opts ...func(*PublicationInput)) PublicationInput {
	return pubInput(PublicationNews, opts)
}

func article(opts ...func(*PublicationInput)) PublicationInput {
	return pubInput(PublicationArticle, opts)
}

func pubInput(k PublicationKind, opts []func(*PublicationInput)) PublicationInput {
	in := PublicationInput{Kind: k, Title: "Declaratie indienen", Body: "Zo dient u een declaratie in."}
	for _, o := range opts {
		o(&in)
	}
	return in
}

// TestPublicationInputValidate: the rules of each kind, and only those.
func TestPublicationInputValidate(t *testing.T) {
	hour := time.Hour
	tests := []struct {
		name string
		in   PublicationInput
		want result
	}{
		{"news/ok", news(), allowed},
		{"article/ok", article(), allowed},
		{"news/no_title", news(func(in *PublicationInput) { in.Title = "  " }), invalid("title")},
		{"article/title_too_long", article(func(in *PublicationInput) { in.Title = strings.Repeat("t", MaxPublicationTitle+1) }), invalid("title")},
		{"news/title_control_char", news(func(in *PublicationInput) { in.Title = "t\x00" }), invalid("title")},
		{"news/body_too_long_for_news", news(func(in *PublicationInput) { in.Body = strings.Repeat("b", 50001) }), invalid("body")},
		{"article/same_body_fits_an_article", article(func(in *PublicationInput) { in.Body = strings.Repeat("b", 50001) }), allowed},
		{"article/body_too_long", article(func(in *PublicationInput) { in.Body = strings.Repeat("b", 100001) }), invalid("body")},

		{"news/audience_key_users", news(func(in *PublicationInput) { in.AudienceRole = RoleKeyUser }), allowed},
		{"news/audience_user_role", news(func(in *PublicationInput) { in.AudienceRole = RoleUser }), invalid("audience_role")},
		{"news/audience_unknown_role", news(func(in *PublicationInput) { in.AudienceRole = "boss" }), invalid("audience_role")},
		{"article/audience_is_ignored", article(func(in *PublicationInput) { in.AudienceRole = "boss" }), allowed},
		{"news/expiry_after_publication", news(func(in *PublicationInput) { in.PublishAt, in.ExpireAt = testNow, testNow.Add(hour) }), allowed},
		{"news/expiry_at_publication", news(func(in *PublicationInput) { in.PublishAt, in.ExpireAt = testNow, testNow }), invalid("expire_at")},
		{"news/expiry_before_publication", news(func(in *PublicationInput) { in.PublishAt, in.ExpireAt = testNow, testNow.Add(-hour) }), invalid("expire_at")},
		{"news/expiry_before_now_without_publication", news(func(in *PublicationInput) { in.ExpireAt = testNow.Add(-hour) }), invalid("expire_at")},
		{"article/dates_are_ignored", article(func(in *PublicationInput) { in.PublishAt, in.ExpireAt = testNow, testNow.Add(-hour) }), allowed},

		{"article/published", article(func(in *PublicationInput) { in.Status = PublicationPublished }), allowed},
		{"article/unknown_status", article(func(in *PublicationInput) { in.Status = "archived" }), invalid("status")},
		{"article/published_without_text", article(func(in *PublicationInput) { in.Status, in.Body = PublicationPublished, " " }), invalid("body")},
		{"article/draft_without_text", article(func(in *PublicationInput) { in.Body = "" }), allowed},
		{"news/status_is_ignored", news(func(in *PublicationInput) { in.Status, in.Body = "archived", "" }), allowed},
		{"article/ten_tags", article(func(in *PublicationInput) { in.Tags = strings.Split("a,b,c,d,e,f,g,h,i,j", ",") }), allowed},
		{"article/eleven_tags", article(func(in *PublicationInput) { in.Tags = strings.Split("a,b,c,d,e,f,g,h,i,j,k", ",") }), invalid("tags")},
		{"article/tag_with_a_sign", article(func(in *PublicationInput) { in.Tags = []string{"on/kosten"} }), invalid("tags")},
		{"article/tag_too_long", article(func(in *PublicationInput) { in.Tags = []string{strings.Repeat("t", MaxTagLength+1)} }), invalid("tags")},
		{"news/tags_are_ignored", news(func(in *PublicationInput) { in.Tags = []string{"on/kosten"} }), allowed},

		{"unknown_kind", pubInput("memo", nil), invalid("kind")},
		{"article/no_title+bad_status", article(func(in *PublicationInput) { in.Title, in.Status = "", "x" }), invalid("title", "status")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			expect(t, "", in.Validate(testNow), tt.want)
		})
	}
}

// TestPublicationInputCarries: Validate keeps what each kind carries and
// fills its defaults.
func TestPublicationInputCarries(t *testing.T) {
	later := testNow.Add(time.Hour)
	tests := []struct {
		name string
		in   PublicationInput
		want PublicationInput
	}{
		{"news/published_from_now",
			news(func(in *PublicationInput) { in.Title = "  Onderhoud  " }),
			PublicationInput{Kind: PublicationNews, Title: "Onderhoud", Body: "Zo dient u een declaratie in.", Status: PublicationPublished, PublishAt: testNow}},
		{"news/keeps_audience_and_dates_drops_tags_and_draft",
			news(func(in *PublicationInput) {
				in.AudienceRole, in.AreaID, in.PublishAt, in.ExpireAt = RoleKeyUser, areaOwn, later, later.Add(time.Hour)
				in.Tags, in.Status = []string{"x"}, PublicationDraft
			}),
			PublicationInput{Kind: PublicationNews, Title: "Declaratie indienen", Body: "Zo dient u een declaratie in.", AreaID: areaOwn,
				AudienceRole: RoleKeyUser, Status: PublicationPublished, PublishAt: later, ExpireAt: later.Add(time.Hour)}},
		{"article/draft_by_default",
			article(),
			PublicationInput{Kind: PublicationArticle, Title: "Declaratie indienen", Body: "Zo dient u een declaratie in.", Status: PublicationDraft}},
		{"article/keeps_area_tags_status_drops_audience_and_dates",
			article(func(in *PublicationInput) {
				in.AreaID, in.Tags, in.Status = areaOwn, []string{" Onkosten ", "inSite portaal", "onkosten", ""}, PublicationPublished
				in.AudienceRole, in.PublishAt, in.ExpireAt = RoleKeyUser, later, later
			}),
			PublicationInput{Kind: PublicationArticle, Title: "Declaratie indienen", Body: "Zo dient u een declaratie in.", AreaID: areaOwn,
				Tags: []string{"onkosten", "insite-portaal"}, Status: PublicationPublished}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if err := in.Validate(testNow); err != nil {
				t.Fatal(err)
			}
			if in.Kind != tt.want.Kind || in.Title != tt.want.Title || in.Body != tt.want.Body || in.AreaID != tt.want.AreaID ||
				in.AudienceRole != tt.want.AudienceRole || !slices.Equal(in.Tags, tt.want.Tags) || in.Status != tt.want.Status ||
				!in.PublishAt.Equal(tt.want.PublishAt) || !in.ExpireAt.Equal(tt.want.ExpireAt) {
				t.Errorf("got %+v, want %+v", in, tt.want)
			}
		})
	}
}

// TestPublishMoment: a news item keeps its own moment; an article records
// its first publication and keeps it.
func TestPublishMoment(t *testing.T) {
	before := testNow.Add(-24 * time.Hour)
	tests := []struct {
		name   string
		in     PublicationInput
		before time.Time
		want   time.Time
	}{
		{"news/own_moment", news(func(in *PublicationInput) { in.PublishAt = before }), time.Time{}, before},
		{"article/draft_never_published", article(func(in *PublicationInput) { in.Status = PublicationDraft }), time.Time{}, time.Time{}},
		{"article/first_publication", article(func(in *PublicationInput) { in.Status = PublicationPublished }), time.Time{}, testNow},
		{"article/published_again_keeps_the_first", article(func(in *PublicationInput) { in.Status = PublicationPublished }), before, before},
		{"article/back_to_draft_keeps_the_first", article(func(in *PublicationInput) { in.Status = PublicationDraft }), before, before},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.PublishMoment(tt.before, testNow); !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPublicationTraits: what each kind carries.
func TestPublicationTraits(t *testing.T) {
	type carries struct{ audience, dated, drafts, tags, revisions, feedback, search bool }
	tests := []struct {
		kind  PublicationKind
		want  carries
		area  string
		stale string
	}{
		{PublicationNews, carries{audience: true, dated: true}, "audience_area", "news.stale"},
		{PublicationArticle, carries{drafts: true, tags: true, revisions: true, feedback: true, search: true}, "area", "kb.stale"},
		{"memo", carries{}, "", ".stale"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			tr := tt.kind.Traits()
			got := carries{tr.Audience, tr.Dated, tr.Drafts, tr.Tags, tr.Revisions, tr.Feedback, tr.Search}
			if got != tt.want || tr.AreaField != tt.area || tt.kind.Key("stale") != tt.stale {
				t.Errorf("traits %+v, key %q", tr, tt.kind.Key("stale"))
			}
			if tt.kind.Valid() != (tt.kind != "memo") {
				t.Errorf("Valid = %v", tt.kind.Valid())
			}
		})
	}
}

// published is a live publication of kind k, changed by opts.
func published(k PublicationKind, opts ...func(*Publication)) *Publication {
	p := &Publication{Kind: k, ID: 1, Title: "Bericht", Status: PublicationPublished, PublishAt: testNow.Add(-time.Hour)}
	for _, o := range opts {
		o(p)
	}
	return p
}

func audience(role Role, area int64) func(*Publication) {
	return func(p *Publication) { p.AudienceRole, p.AreaID = role, area }
}

// TestPublicationVisibility is the truth table of VisibleTo: writers see
// everything; everyone else what is live, for an audience they are in.
func TestPublicationVisibility(t *testing.T) {
	hour := time.Hour
	items := []struct {
		name string
		p    *Publication
	}{
		{"news/everyone", published(PublicationNews)},
		{"news/area_own", published(PublicationNews, audience("", areaOwn))},
		{"news/key_users", published(PublicationNews, audience(RoleKeyUser, 0))},
		{"news/key_users_own_area", published(PublicationNews, audience(RoleKeyUser, areaOwn))},
		{"news/technical", published(PublicationNews, audience(RoleTechnicalAdmin, 0))},
		{"news/future", published(PublicationNews, func(p *Publication) { p.PublishAt = testNow.Add(hour) })},
		{"news/expired", published(PublicationNews, func(p *Publication) { p.ExpireAt = testNow })},
		{"news/until_later", published(PublicationNews, func(p *Publication) { p.ExpireAt = testNow.Add(hour) })},
		{"article/published", published(PublicationArticle)},
		{"article/published_with_area", published(PublicationArticle, func(p *Publication) { p.AreaID = areaOther })},
		{"article/draft", published(PublicationArticle, func(p *Publication) { p.Status, p.PublishAt = PublicationDraft, time.Time{} })},
	}
	var all []string
	for _, it := range items {
		all = append(all, it.name)
	}
	// Per reader, the items they see, in the order of items.
	readers := []struct {
		name string
		a    *Actor
		sees []string
	}{
		{"requester", actor(idRequester), []string{"news/everyone", "news/until_later", "article/published", "article/published_with_area"}},
		{"key_user/own_area", actor(idKeyUser, role(RoleKeyUser, areaOwn)), []string{"news/everyone", "news/area_own", "news/key_users",
			"news/key_users_own_area", "news/until_later", "article/published", "article/published_with_area"}},
		{"key_user/other_area", actor(idKeyUserElse, role(RoleKeyUser, areaOther)), []string{"news/everyone", "news/key_users",
			"news/until_later", "article/published", "article/published_with_area"}},
		{"technical_admin/unscoped", actor(idTech, role(RoleTechnicalAdmin, 0)), []string{"news/everyone", "news/area_own",
			"news/technical", "news/until_later", "article/published", "article/published_with_area"}},
		{"management", actor(idManagement, role(RoleManagement, 0)), []string{"news/everyone", "news/area_own", "news/until_later",
			"article/published", "article/published_with_area"}},
		{"nobody", nil, []string{"news/everyone", "news/until_later", "article/published", "article/published_with_area"}},
		{"functional_admin/own_area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), all},
	}
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			var got []string
			for _, it := range items {
				if it.p.VisibleTo(rd.a, testNow) {
					got = append(got, it.name)
				}
			}
			if !slices.Equal(got, rd.sees) {
				t.Errorf("sees %v, want %v", got, rd.sees)
			}
		})
	}
}

// TestPublicationState: the writers' badge.
func TestPublicationState(t *testing.T) {
	hour := time.Hour
	tests := []struct {
		name string
		p    *Publication
		want string
	}{
		{"news/live", published(PublicationNews), "live"},
		{"news/publication_ahead", published(PublicationNews, func(p *Publication) { p.PublishAt = testNow.Add(hour) }), "draft"},
		{"news/expired", published(PublicationNews, func(p *Publication) { p.ExpireAt = testNow.Add(-hour) }), "expired"},
		{"news/ends_later", published(PublicationNews, func(p *Publication) { p.ExpireAt = testNow.Add(hour) }), "live"},
		{"article/published", published(PublicationArticle), "live"},
		{"article/draft", published(PublicationArticle, func(p *Publication) { p.Status = PublicationDraft }), "draft"},
		{"article/dates_do_not_count", published(PublicationArticle, func(p *Publication) { p.PublishAt, p.ExpireAt = testNow.Add(hour), testNow }), "live"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.want, func(t *testing.T) {
			if got := tt.p.State(testNow); got != tt.want {
				t.Errorf("State = %q", got)
			}
		})
	}
}

// TestAudienceReachOf: an unscoped role reaches every area, the user role
// reaches only what is for everyone.
func TestAudienceReachOf(t *testing.T) {
	tests := []struct {
		name string
		a    *Actor
		want AudienceReach
	}{
		{"nobody", nil, AudienceReach{}},
		{"user", actor(idRequester, role(RoleUser, 0)), AudienceReach{}},
		{"key_user/two_areas", actor(idKeyUser, role(RoleKeyUser, areaOwn), role(RoleKeyUser, areaOther), role(RoleKeyUser, areaOwn)),
			AudienceReach{Areas: []int64{areaOwn, areaOther}, Roles: []RoleReach{{Role: RoleKeyUser, Areas: []int64{areaOwn, areaOther}}}}},
		{"key_user/own_area+technical_admin/unscoped", actor(idTech, role(RoleKeyUser, areaOwn), role(RoleTechnicalAdmin, 0)),
			AudienceReach{AllAreas: true, Roles: []RoleReach{{Role: RoleKeyUser, Areas: []int64{areaOwn}}, {Role: RoleTechnicalAdmin, AllAreas: true}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AudienceReachOf(tt.a)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestCheckFeedback: readers rate a live article once signed in; a draft
// does not exist for them, and a writer learns why it cannot be rated.
func TestCheckFeedback(t *testing.T) {
	draft := published(PublicationArticle, func(p *Publication) { p.Status = PublicationDraft })
	writer := actor(idFunc, role(RoleFunctionalAdmin, 0))
	tests := []struct {
		name string
		a    *Actor
		p    *Publication
		want result
	}{
		{"requester/published", actor(idRequester), published(PublicationArticle), allowed},
		{"writer/published", writer, published(PublicationArticle), allowed},
		{"requester/draft", actor(idRequester), draft, notFound()},
		{"writer/draft", writer, draft, conflict("kb.feedback_draft")},
		{"no_account/published", actor(0), published(PublicationArticle), forbidden("error.forbidden")},
		{"requester/news", actor(idRequester), published(PublicationNews), notFound()},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckFeedback(tt.a, tt.p, testNow), tt.want)
		})
	}
}

// TestCanWritePublications: functional admins write, in any area.
func TestCanWritePublications(t *testing.T) {
	for _, p := range people() {
		want := strings.HasPrefix(p.name, "functional_admin/")
		t.Run(fmt.Sprintf("%s=%v", p.name, want), func(t *testing.T) {
			if got := CanWritePublications(p.actor); got != want {
				t.Errorf("CanWritePublications = %v", got)
			}
		})
	}
	if CanWritePublications(nil) {
		t.Error("nobody writes")
	}
}

// TestParseTags: lower case, hyphens for inner spaces, no duplicates.
func TestParseTags(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Onkosten, declaraties", "onkosten|declaraties"},
		{" inSite  portaal ,, onkosten,ONKOSTEN", "insite-portaal|onkosten"},
	}
	for _, tt := range tests {
		if got := strings.Join(ParseTags(tt.in), "|"); got != tt.want {
			t.Errorf("ParseTags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
