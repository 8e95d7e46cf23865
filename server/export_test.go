package server

// WaitBackground waits for the work the server does after answering:
// password requests.
func (s *Server) WaitBackground() { s.bg.Wait() }
