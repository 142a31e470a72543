// Package broken does not type-check: lifeguard must report the type error,
// exit 2, and still report the findings in the other packages.
package broken

var Count int = "three" // e2e:type-error
