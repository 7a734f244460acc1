package tlsconf

import (
	"crypto/tls"
	"fmt"
	"strings"
)

// openSSLNames maps the OpenSSL names of the TLS 1.2 suites Go offers to
// their IANA names (tls.CipherSuite.Name); either name is accepted.
var openSSLNames = map[string]string{
	"ECDHE-ECDSA-AES128-GCM-SHA256": "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
	"ECDHE-RSA-AES128-GCM-SHA256":   "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
	"ECDHE-ECDSA-AES256-GCM-SHA384": "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
	"ECDHE-RSA-AES256-GCM-SHA384":   "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	"ECDHE-ECDSA-CHACHA20-POLY1305": "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
	"ECDHE-RSA-CHACHA20-POLY1305":   "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
	"ECDHE-ECDSA-AES128-SHA":        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
	"ECDHE-RSA-AES128-SHA":          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
	"ECDHE-ECDSA-AES256-SHA":        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
	"ECDHE-RSA-AES256-SHA":          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
	"AES128-GCM-SHA256":             "TLS_RSA_WITH_AES_128_GCM_SHA256",
	"AES256-GCM-SHA384":             "TLS_RSA_WITH_AES_256_GCM_SHA384",
	"AES128-SHA":                    "TLS_RSA_WITH_AES_128_CBC_SHA",
	"AES256-SHA":                    "TLS_RSA_WITH_AES_256_CBC_SHA",
}

// cipherIDs parses tls-ciphers: TLS 1.2 suite names separated by ':' (or
// spaces or commas). OpenSSL's cipher-string language (DEFAULT, HIGH,
// !MEDIUM) is not understood and is refused by name; "" keeps Go's list.
func cipherIDs(list string) ([]uint16, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	byName := map[string]uint16{}
	for _, c := range tls.CipherSuites() {
		byName[c.Name] = c.ID
	}
	var ids []uint16
	for _, name := range splitList(list) {
		if iana, ok := openSSLNames[strings.ToUpper(name)]; ok {
			name = iana
		}
		id, ok := byName[strings.ToUpper(name)]
		if !ok {
			return nil, fmt.Errorf("invalid tls-ciphers %q: unsupported cipher %q (name TLS 1.2 suites separated by ':', e.g. ECDHE-RSA-AES128-GCM-SHA256)", list, name)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// suites13 are the TLS 1.3 suites Go implements; Go always enables all
// three and picks the order itself, so tls-ciphersuites is validated but
// cannot narrow them.
var suites13 = map[string]bool{
	"TLS_AES_128_GCM_SHA256": true, "TLS_AES_256_GCM_SHA384": true, "TLS_CHACHA20_POLY1305_SHA256": true,
}

func checkSuites13(list string) error {
	for _, name := range splitList(list) {
		if !suites13[strings.ToUpper(name)] {
			return fmt.Errorf("invalid tls-ciphersuites %q: unsupported TLS 1.3 suite %q (TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256)", list, name)
		}
	}
	return nil
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == ' ' || r == ',' })
}
