package beheer

// Asking the requester: while investigating, the assignee may need
// something only the requester knows. The question is a public comment,
// and the request then waits for the requester (its service-level clock
// pauses) until they reply (StatusAfterComment). Both are written together
// or not at all.

// CheckQuestion says whether the actor may put a question to the requester
// of r: exactly where setting the status awaiting_requester (CheckPatch)
// and then commenting publicly (CheckComment) are both allowed — a manager
// of the request, while it is open. The question's text is checked by
// NewComment.Validate.
func CheckQuestion(a *Actor, r *Request, f Facts) error {
	status := StatusAwaitingRequester
	if err := CheckPatch(a, r, f, &Patch{Status: &status}); err != nil {
		if ErrorCode(err) == CodeForbidden {
			return ErrForbidden("question.forbidden")
		}
		return err
	}
	return CheckComment(a, r, f, false)
}
