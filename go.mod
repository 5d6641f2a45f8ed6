module github.com/relay-dev/relay

go 1.26
