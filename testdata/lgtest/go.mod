module example.com/lgtest

go 1.26.0

require github.com/lifeguard-go/lifeguard v0.0.0-00010101000000-000000000000

replace github.com/lifeguard-go/lifeguard => ../..
