package beheer

// KPIs are management's figures on the home page: the stock of open and
// late work, and this month's flow (closed, lead time, satisfaction), each
// with the month before beside it. They come from two reports (this month
// and the previous one), so they agree with the dashboard.
type KPIs struct {
	Open, OpenBefore     int // open now; open at the start of the month
	Late, LateBefore     int // open and past the target now; closed past it last month
	Closed, ClosedBefore int // ended this month; last month
	LeadHours            float64
	LeadHoursBefore      float64
	LeadOK, LeadBeforeOK bool // a lead time needs closed requests
	Rating, RatingBefore float64
	RatingOK             bool // an average needs ratings
	RatingBeforeOK       bool
}

// KPIsOf computes the figures from this month's report and the previous
// month's. Open at the start of the month is what is open now, less what
// was filed this month, plus what ended this month (a reopened request
// counts as open throughout).
func KPIsOf(this, prev *Report) KPIs {
	var k KPIs
	for _, o := range this.Open {
		k.Open += o.Count
	}
	filed, ended := monthFlow(this)
	k.OpenBefore = max(k.Open-filed+ended, 0)
	k.Late = this.Overdue
	for _, p := range prev.SLA {
		k.LateBefore += p.Ended - p.ResolutionMet
	}
	k.Closed = ended
	_, k.ClosedBefore = monthFlow(prev)
	k.LeadHours, k.LeadOK = totalLead(this)
	k.LeadHoursBefore, k.LeadBeforeOK = totalLead(prev)
	k.Rating, k.RatingOK = this.Ratings.Average, this.Ratings.Count > 0
	k.RatingBefore, k.RatingBeforeOK = prev.Ratings.Average, prev.Ratings.Count > 0
	return k
}

// monthFlow sums what a report's months filed and ended.
func monthFlow(r *Report) (filed, ended int) {
	for _, m := range r.Throughput {
		filed += m.Filed
		ended += m.Closed
	}
	return filed, ended
}

// totalLead is the median lead time of the whole request, when any closed.
func totalLead(r *Report) (float64, bool) {
	for _, s := range r.LeadTimes {
		if s.Group == "total" && s.Count > 0 {
			return s.Median, true
		}
	}
	return 0, false
}
