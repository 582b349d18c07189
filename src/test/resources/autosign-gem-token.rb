# A token in the autosign gem's format: HS512 over {data: <JSON text of certname, requester,
# reusable, validfor, uuid>, exp: <epoch>}. The gem (on jwt 1.x) writes exp as a string, which
# Ruby's jwt 2.x refuses to encode; EXP=string signs that form with OpenSSL directly, EXP=number
# lets Debian's ruby-jwt make a numeric one.
# Usage: ruby autosign-gem-token.rb CERTNAME SECRET VALIDFOR REUSABLE string|number
require 'json'
require 'securerandom'
require 'openssl'
require 'base64'

certname, secret, validfor, reusable, exp_style = ARGV
data = {
  'certname' => certname,
  'requester' => 'voxca-tests',
  'reusable' => reusable == 'true',
  'validfor' => validfor.to_i,
  'uuid' => SecureRandom.uuid
}
exp = Time.now.to_i + validfor.to_i
if exp_style == 'number'
  require 'jwt'
  puts JWT.encode({ 'data' => JSON.generate(data), 'exp' => exp }, secret, 'HS512')
else
  b64 = ->(s) { Base64.urlsafe_encode64(s, padding: false) }
  signed = b64.call(JSON.generate({ 'typ' => 'JWT', 'alg' => 'HS512' })) + '.' +
           b64.call(JSON.generate({ 'data' => JSON.generate(data), 'exp' => exp.to_s }))
  puts signed + '.' + b64.call(OpenSSL::HMAC.digest('SHA512', secret, signed))
end
