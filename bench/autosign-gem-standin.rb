#!/usr/bin/env ruby
# A policy executable that does what the autosign gem's `autosign-validator` does per CSR (Debian
# does not package the gem): start Ruby, load its libraries and its YAML configuration, read the
# CSR from stdin, take the challengePassword, check the HS512 JWT with the shared secret, match the
# certname, and record a one-time token's uuid in a YAML::Store journal (fsync'd). Exit 0 signs.
# Configuration: $AUTOSIGN_CONFIG (YAML: jwt_token: {secret:, journalfile:}).
require 'openssl'
require 'json'
require 'yaml'
require 'yaml/store'
require 'jwt'

certname = ARGV.fetch(0)
config = YAML.load_file(ENV.fetch('AUTOSIGN_CONFIG'))['jwt_token']
csr = OpenSSL::X509::Request.new($stdin.read)
attribute = csr.attributes.find { |a| a.oid == 'challengePassword' }
exit 1 unless attribute
token = attribute.value.value.first.value.to_s
begin
  claims = JWT.decode(token, config['secret'], true, algorithm: 'HS512')[0]
rescue JWT::DecodeError => e
  warn "invalid token: #{e.message}"
  exit 1
end
data = JSON.parse(claims['data'])
wanted = data['certname']
matches = wanted =~ %r{\A/(.+)/\z} ? Regexp.new(Regexp.last_match(1)).match?(certname) : wanted == certname
exit 1 unless matches
exit 0 if data['reusable']
journal = YAML::Store.new(config['journalfile'], true)
journal.ultra_safe = true
fresh = journal.transaction do
  if journal.root?(data['uuid'])
    false
  else
    journal[data['uuid']] = { 'validto' => claims['exp'].to_s }
    true
  end
end
exit(fresh ? 0 : 1)
