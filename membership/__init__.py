"""Membership: joining online (units and individuals), review by the membership department,
dues by WeChat Pay or transfer, terms and member certificates, renewal, and the member
centre with profile and contacts."""
