-- bench/offers_varied.lua — wrk: every request a different search ("vendeur", "serveur"…
-- around one of 20 large communes, 5 to 40 km), so that the search pages' cache
-- (src/offers/offers_cache.h) mostly misses: 20 × 20 × 36 = 14,400 criteria, drawn at
-- random per thread. Used by bench/offers_pages.sh for its "variée" measure.
local keywords = {"vendeur", "serveur", "cuisinier", "boulanger", "coiffeur", "magasinier",
	"plombier", "electricien", "chauffeur", "comptable", "animateur", "commercial",
	"jardinier", "livreur", "macon", "peintre", "mecanicien", "caissier", "secretaire",
	"aide-soignant"}
local communes = {"75056", "13055", "69123", "31555", "06088", "44109", "67482", "34172",
	"33063", "59350", "35238", "51454", "76540", "42218", "83137", "49007", "38185",
	"21231", "37261", "29019"}

local n = 0
function setup(thread)
	n = n + 1
	thread:set("id", n)
end

function init(args)
	math.randomseed(42 + id)
end

function request()
	return wrk.format("GET", string.format(
		"/offres?type=emploi&motscles=%s&lieu=%s&distance=%d&recherche=1",
		keywords[math.random(#keywords)], communes[math.random(#communes)], math.random(5, 40)))
end
