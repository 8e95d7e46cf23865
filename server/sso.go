package server

// SSO is single sign-on through an OpenID Connect provider.
type SSO struct {
	name string
}

// DisplayName is the provider's name on the login button.
func (s *SSO) DisplayName() string { return s.name }
